"""`digest import`: scraped news dumps -> Markdown articles with front matter.

The pipeline runs one way, each step a module with one job:

    bytes ─► segment (text, article headers) ─► clean (chrome off, fields out)
          ─► classify (topic scores, tags) ─► emit (front matter, body, file decisions)
          ─► command (reads inputs and content/, prints, writes)

Everything but `command` is pure: text in, frozen values out.
"""

"""The only code that writes the output folder: the atomic swap with its spare (`write`), the filling of
the next site beside the output (`stage`), and file-by-file replacement in place (`inplace`). Handed
bytes, it knows nothing of pages or articles.
"""

"""The theme's words in English: every string a page or feed of the default theme shows.

This table is also the list of keys (`site.yaml` `strings:` may set any of them)
and the fallback for a language that lacks one. A value is a text, or for a
string that counts something, a mapping of CLDR plural categories (`one`,
`other`, and for some languages `zero`, `two`, `few`, `many`) to texts. Texts
may hold the named fields shown in braces; `{count}` is the number counted.
"""

from __future__ import annotations

STRINGS = {
    # Every page
    "skip_to_content": "Skip to content",
    "sections": "Sections",
    "topics": "Topics",
    "tags": "Tags",
    "archive": "Archive",
    "search": "Search",
    "rss_feed": "RSS feed",
    "all_tags": "All tags",
    # Lists of articles
    "draft": "Draft",
    "draft_title": "{draft}: {title}",
    "min_read": {"one": "{count} min read", "other": "{count} min read"},
    "no_articles": "No articles yet.",
    # Home page
    "latest": "Latest",
    "topic_all": {"one": "{count} {topic} article", "other": "All {count} {topic} articles"},
    "ways_in": "Ways in",
    "tag_count_link": {"one": "{count} tag", "other": "All {count} tags"},
    "archive_link": {"one": "{count} article, month by month", "other": "All {count} articles, month by month"},
    "feeds": "Feeds",
    "whole_digest_feed": "Whole digest (RSS)",
    "topic_feed": "{topic} (RSS)",
    # Article page
    "photos": "Photos",
    "read_more": "Read more",
    "source_label": "Source:",
    "topic_label": "Topic:",
    "tags_label": "Tags:",
    "more_in_topic": "More in {topic}",
    "previous_in_topic": "Previous in {topic}",
    "next_in_topic": "Next in {topic}",
    "related_articles": "Related articles",
    # Topic and tag pages
    "topic_kicker": "Topic",
    "tag_kicker": "Tag",
    "topic_description": "Articles on {topic}.",
    "no_topic_articles": "No articles in this topic yet.",
    "tag_description": {"one": "{count} article tagged {tag}.", "other": "{count} articles tagged {tag}."},
    "feed_tag_description": "Articles tagged {tag}.",
    "follow_by_rss": "Follow {name} by RSS",
    "pages": "Pages",
    "newer_articles": "Newer articles",
    "older_articles": "Older articles",
    "page_of": "Page {number} of {total}",
    # Tags index
    "tags_intro": "People, groups and places in the digest, with the number of articles about each.",
    "no_tags": "No tags yet.",
    "tags_description": {"one": "The {count} tag of {site}, with its article count.",
                         "other": "All {count} tags of {site}, with their article counts."},
    # Archive
    "months": "Months",
    "archive_description": "Every article of {site}, month by month.",
    # Page not found
    "not_found": "Page not found",
    "not_found_description": "There is no page at this address.",
    "not_found_lede": "There is no page at this address. It may have moved, or the link may be mistyped.",
    "go_home": "Go to the front page of {site}",
    "or_try_topic": "Or try a topic:",
    "not_found_archive": "Every article, month by month, is in the archive",
}

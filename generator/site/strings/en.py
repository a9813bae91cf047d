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
    "whole_digest": "Whole digest:",
    "feeds_label": "Feeds:",
    "topic_feed": "{topic} (RSS)",
    # Article page
    "photos": "Photos",
    "read_more": "Read more",
    "source_label": "Source:",
    "topic_label": "Topic:",
    "original_by": "Originally published by",
    "original_at": "Originally published at",
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
    # Editions
    "editions": "Editions",
    "edition_week": "Weekly edition",
    "edition_month": "Monthly edition",
    "edition_day": "Daily edition",
    "edition_title": "{kind}, {dates}",
    "latest_edition": "Latest edition",
    "latest_edition_label": "Latest edition:",
    "all_editions": "All editions",
    "all_editions_label": "All editions:",
    "every_edition": "Every edition",
    "editions_feed_line": "one feed item per edition:",
    "edition_articles": {"one": "{count} article", "other": "{count} articles"},
    "edition_lede": {"one": "{articles} in {count} topic.", "other": "{articles} in {count} topics."},
    "topic_count": "{topic} {count}",
    "list_separator": ", ",
    "topics_in_edition": "Topics in this edition",
    "email_copy": "Email copy",
    "plain_text": "plain text",
    "newer_edition": "Newer: {dates}",
    "older_edition": "Older: {dates}",
    "edition_description": "{kind} of {site}, {dates}: {articles}, {topics}.",
    "editions_description": "Every {kind} of {site}, newest first.",
    "editions_intro": "Each {kind} holds every article of its dates, topic by topic.",
    "editions_follow": "Follow them, one feed item per edition:",
    "no_editions": "No editions yet.",
    "edition_feed_lede": "{articles}, {dates}.",
    "edition_summary": "{articles}: {topics}.",
    "editions_feed_title": "{site}: editions",
    "editions_feed_description": "{site}, one feed item per edition: each {kind} whole.",
    "email_title": "{site}: {kind}, {dates}",
    "read_on_web": "Read this edition on the web",
    "read_it_on_web": "Read it on the web:",
}

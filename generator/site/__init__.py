"""The site as data: `site.yaml` -> frozen `SiteConfig`; front matter -> frozen `Article`; the `Site` model;
URLs and slugs in one place. Imports nothing of digest but `generator.errors`.
"""

"""Pages from the model: pure page contexts, page plans (which pages show an article), feeds, and Jinja
rendering of a `PageJob` to bytes, with no file I/O. Imports only `generator.site` and `generator.errors`.
"""

"""`digest serve`: the HTTP server with live reload, the file watcher and its debouncer. The rebuilding
itself is the engine's (`generator.engine.rebuild`).
"""

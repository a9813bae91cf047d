"""The build engine, one for `digest build` and `digest serve`: `incremental.Build` works out what changed,
parses only that, renders in parallel when it pays and hands the bytes to a sink (see its docstring for
where a feature is taught to it). `build` runs it for the CLI, `rebuild` for the preview. Imports the
stages below it (`publish`, `pages`, `site`), never `preview`.
"""

"""The build engine: what changed, what to parse and render, in parallel when it pays, and who gets the
bytes. `build` is the orchestrator (`digest build`); `incremental` keeps the disk cache, `rebuild` the
preview's in-memory state. Imports the stages below it (`publish`, `pages`, `site`), never `preview`.
"""

"""Where the default theme shipped with digest lives (its templates and static files).

Apart from `render`, which imports Jinja and markdown-it: the caches' keys and the static files' listing
need only the folders, and a build with nothing to do renders nothing.
"""

from __future__ import annotations

from pathlib import Path


def theme_dir(kind: str) -> Path:
    """The default theme's `templates` or `static` folder.

    An installed wheel carries them inside the package (`generator/theme_templates`,
    `generator/theme_static`, mapped from the project's top-level folders by
    pyproject.toml); a source checkout or editable install uses those folders.
    """
    package = Path(__file__).resolve().parent.parent
    packaged = package / f"theme_{kind}"
    return packaged if packaged.is_dir() else package.parent / kind

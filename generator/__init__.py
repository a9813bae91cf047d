"""digest: turn raw news-article dumps into a topic-organised static digest site."""

from __future__ import annotations

__version__ = "0.1.0"

"""The theme's string tables, one module per language: `en` (every key, and the fallback), `ar`, `fr`."""

from __future__ import annotations

from collections.abc import Mapping

from generator.site.strings import ar, en, fr

Text = str | Mapping[str, str]  # a text, or plural category -> text
TABLES: Mapping[str, Mapping[str, Text]] = {"en": en.STRINGS, "ar": ar.STRINGS, "fr": fr.STRINGS}
ENGLISH: Mapping[str, Text] = en.STRINGS

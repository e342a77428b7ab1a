"""Presenter decks: each published clip cut at its recorded beat times into a reveal.js deck
that plays from disk and advances beat by beat (``gdengine slides``, ``make slides``)."""

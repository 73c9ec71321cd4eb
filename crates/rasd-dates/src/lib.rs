//! Date finding and parsing for Arabic and English news: every regional month lexicon, Hijri, Arabic-Indic digits, times and zones.

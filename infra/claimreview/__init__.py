"""schema.org ClaimReview: reading it as found in the wild, importing, exporting."""

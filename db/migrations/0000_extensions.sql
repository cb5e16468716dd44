-- Trigram indexes on entity names make name search typo tolerant.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Issue 26: email verification and one-time account links (hashes only); accounts made before count as verified.
ALTER TABLE customers ADD "EmailVerifiedAt" timestamp with time zone;
ALTER TABLE customers ADD "Language" character varying(8) NOT NULL DEFAULT 'ru';
UPDATE customers SET "EmailVerifiedAt" = "CreatedAt";
CREATE TABLE account_tokens (
    "Id" uuid NOT NULL,
    "CustomerId" uuid NOT NULL,
    "Purpose" character varying(20) NOT NULL,
    "TokenHash" character varying(64) NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "ExpiresAt" timestamp with time zone NOT NULL,
    "UsedAt" timestamp with time zone,
    CONSTRAINT "PK_account_tokens" PRIMARY KEY ("Id")
);
CREATE INDEX "IX_account_tokens_CustomerId_Purpose" ON account_tokens ("CustomerId", "Purpose");
CREATE INDEX "IX_account_tokens_ExpiresAt" ON account_tokens ("ExpiresAt");
CREATE UNIQUE INDEX "IX_account_tokens_TokenHash" ON account_tokens ("TokenHash");

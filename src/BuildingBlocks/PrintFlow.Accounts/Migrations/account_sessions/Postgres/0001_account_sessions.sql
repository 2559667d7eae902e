-- Sessions end on logout: the cookie carries a session id, and this service (which owns the accounts) keeps the row.
CREATE TABLE account_sessions (
    "Id" uuid NOT NULL,
    "AccountId" character varying(64) NOT NULL,
    "StartedAt" timestamp with time zone NOT NULL,
    "ExpiresAt" timestamp with time zone NOT NULL,
    "EndedAt" timestamp with time zone,
    CONSTRAINT "PK_account_sessions" PRIMARY KEY ("Id")
);
CREATE INDEX "IX_account_sessions_ExpiresAt" ON account_sessions ("ExpiresAt");

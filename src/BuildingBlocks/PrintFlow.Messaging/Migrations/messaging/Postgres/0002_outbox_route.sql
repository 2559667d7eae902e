-- Decision 13: an event's route (e.g. its sales channel) beside its name, for routing on the broker. Rows written
-- before have none and travel by name alone, as they did.
ALTER TABLE outbox_messages ADD "Route" character varying(32);

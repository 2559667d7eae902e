-- Issue 5: an order reports itself stuck once per stay in a state; each move records its cause, the sending service
-- and the trace id; the ops page's throughput reads the last hour of moves through (At, To).
ALTER TABLE orders ADD "StuckReportedAt" timestamp with time zone;
ALTER TABLE order_transitions ADD "Cause" character varying(200);
ALTER TABLE order_transitions ADD "CausedBy" character varying(32);
ALTER TABLE order_transitions ADD "TraceId" character varying(32);
CREATE INDEX "IX_order_transitions_At_To" ON order_transitions ("At", "To");

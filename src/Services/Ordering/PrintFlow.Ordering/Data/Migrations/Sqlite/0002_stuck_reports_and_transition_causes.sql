-- Issue 5: an order reports itself stuck once per stay in a state; each move records its cause, the sending service
-- and the trace id; the ops page's throughput reads the last hour of moves through (At, To).
ALTER TABLE "orders" ADD "StuckReportedAt" INTEGER NULL;
ALTER TABLE "order_transitions" ADD "Cause" TEXT NULL;
ALTER TABLE "order_transitions" ADD "CausedBy" TEXT NULL;
ALTER TABLE "order_transitions" ADD "TraceId" TEXT NULL;
CREATE INDEX "IX_order_transitions_At_To" ON "order_transitions" ("At", "To");

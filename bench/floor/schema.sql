-- The tables of the database floor (bench/floor.sh): what the design keeps per order, reduced to its keys.
create table inbox (consumer text not null, message_id bigint not null, processed_at timestamptz not null default now(),
                    primary key (consumer, message_id));
create table orders (service text not null, id bigint not null, status int not null, version int not null,
                     updated_at timestamptz not null default now(), primary key (service, id));
create table outbox (id bigserial primary key, order_id bigint not null, name text not null, payload text not null,
                     created_at timestamptz not null default now(), dispatched_at timestamptz);
create index outbox_pending on outbox (order_id) where dispatched_at is null;
create table idempotency (partner int not null, key bigint not null, order_id bigint not null, primary key (partner, key));

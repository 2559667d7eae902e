-- The materials each person runs (take-next offers only jobs in them). People who existed before run everything,
-- as they effectively did; a supervisor narrows it on /mes/skills. The default only backfills existing rows.
ALTER TABLE mes_accounts ADD COLUMN "Skills" character varying(200) NOT NULL DEFAULT 'PLA,PETG,ABS,Resin';
ALTER TABLE mes_accounts ALTER COLUMN "Skills" DROP DEFAULT;

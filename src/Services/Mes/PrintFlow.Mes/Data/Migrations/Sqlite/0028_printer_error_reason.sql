-- A refused slice is stored as its sentence's name and values, so the printer's card words it in the reader's language.
ALTER TABLE "mes_printers" ADD "ErrorReason" TEXT NULL;
ALTER TABLE "mes_printers" ADD "ErrorArguments" TEXT NULL;

-- Phones are E.164 from now on (+8613800138000), as the core system's API has
-- them: a shared contact is read as an international number, so a foreign
-- number can no longer pass for a mainland one. Every phone imported before
-- is a mainland mobile number kept as its 11 digits.
UPDATE customers SET phone = '+86' || phone
WHERE length(phone) = 11 AND phone GLOB '1[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]';

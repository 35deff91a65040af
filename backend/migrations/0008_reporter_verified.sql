-- Whether the host signed the reporter's name and email (an identity token)
-- or only their id: the team sees unsigned names and emails marked unverified.
ALTER TABLE cases ADD COLUMN reporter_verified INTEGER NOT NULL DEFAULT 0;

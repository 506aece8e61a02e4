-- placeholder: the identity service's tables come with its first real migration
CREATE TABLE placeholder_identity (id int PRIMARY KEY);

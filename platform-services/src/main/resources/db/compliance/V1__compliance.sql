-- placeholder: the compliance service's tables come with its first real migration
CREATE TABLE placeholder_compliance (id int PRIMARY KEY);

-- placeholder: the content service's tables come with its first real migration
CREATE TABLE placeholder_content (id int PRIMARY KEY);

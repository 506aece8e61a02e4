-- placeholder: the media service's tables come with its first real migration
CREATE TABLE placeholder_media (id int PRIMARY KEY);

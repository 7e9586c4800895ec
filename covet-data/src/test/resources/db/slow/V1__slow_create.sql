CREATE TABLE applied_once (id INTEGER PRIMARY KEY, note VARCHAR(50));
INSERT INTO applied_once (id, note) VALUES (1, 'applied');
SELECT pg_sleep(1);

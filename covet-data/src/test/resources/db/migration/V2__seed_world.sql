INSERT INTO world (id, random_number) VALUES (1, 10), (2, 20);

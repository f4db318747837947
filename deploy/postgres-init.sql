-- Kairos' own database beside Temporal's (the temporal-schema step of docker-compose.yml creates temporal and temporal_visibility).
create database kairos;

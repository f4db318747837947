-- Kairos' own database beside Temporal's (auto-setup creates temporal and temporal_visibility).
create database kairos;

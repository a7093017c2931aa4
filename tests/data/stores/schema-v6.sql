-- index ix_athlete_owners_user
CREATE INDEX ix_athlete_owners_user ON athlete_owners (user_id);
-- index ix_coach_links_athlete
CREATE INDEX ix_coach_links_athlete ON coach_links (athlete_id);
-- index ix_coach_links_coach
CREATE INDEX ix_coach_links_coach ON coach_links (coach_id);
-- index ix_import_sets_athlete_key
CREATE INDEX ix_import_sets_athlete_key ON import_sets (athlete_id, "key");
-- index ix_jobs_athlete
CREATE INDEX ix_jobs_athlete ON jobs (athlete_id);
-- index ix_jobs_state_created
CREATE INDEX ix_jobs_state_created ON jobs (state, created_at);
-- index ix_saved_plans_athlete
CREATE INDEX ix_saved_plans_athlete ON saved_plans (athlete_id, start);
-- index ix_sets_athlete_session
CREATE INDEX ix_sets_athlete_session ON sets (athlete_id, session_id);
-- index ix_sign_in_attempts_address
CREATE INDEX ix_sign_in_attempts_address ON sign_in_attempts (address, at);
-- index ix_sign_in_attempts_email
CREATE INDEX ix_sign_in_attempts_email ON sign_in_attempts (email_digest, at);
-- table api_tokens
CREATE TABLE "api_tokens" (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, 
	user_id INTEGER NOT NULL, 
	name VARCHAR(100) NOT NULL, 
	prefix VARCHAR(16) NOT NULL, 
	token_hash VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	last_used_at DATETIME, 
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE, 
	UNIQUE (token_hash)
);
-- table athlete_owners
CREATE TABLE athlete_owners (
	athlete_id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	display_name VARCHAR(200) NOT NULL, 
	PRIMARY KEY (athlete_id), 
	FOREIGN KEY(athlete_id) REFERENCES athletes (id) ON DELETE CASCADE, 
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE
);
-- table athletes
CREATE TABLE "athletes" (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, 
	name VARCHAR(200) NOT NULL, 
	created_at DATETIME NOT NULL, 
	revision BIGINT DEFAULT '0' NOT NULL, 
	sets_revision BIGINT DEFAULT '0' NOT NULL, 
	UNIQUE (name)
);
-- table auth_sessions
CREATE TABLE "auth_sessions" (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, 
	user_id INTEGER NOT NULL, 
	token_hash VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE, 
	UNIQUE (token_hash)
);
-- table coach_links
CREATE TABLE "coach_links" (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, 
	athlete_id INTEGER NOT NULL, 
	coach_id INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	removed_at DATETIME, 
	FOREIGN KEY(athlete_id) REFERENCES athletes (id) ON DELETE CASCADE, 
	FOREIGN KEY(coach_id) REFERENCES users (id) ON DELETE CASCADE
);
-- table exercise_map
CREATE TABLE exercise_map (
	id INTEGER NOT NULL, 
	athlete_id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	"key" VARCHAR(100) NOT NULL, 
	mapped_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_exercise_map_athlete_name UNIQUE (athlete_id, name), 
	FOREIGN KEY(athlete_id) REFERENCES athletes (id) ON DELETE CASCADE
);
-- table import_sets
CREATE TABLE import_sets (
	import_id INTEGER NOT NULL, 
	athlete_id INTEGER NOT NULL, 
	"key" BIGINT NOT NULL, 
	CONSTRAINT pk_import_sets PRIMARY KEY (import_id, "key"), 
	FOREIGN KEY(import_id) REFERENCES imports (id) ON DELETE CASCADE, 
	FOREIGN KEY(athlete_id) REFERENCES athletes (id) ON DELETE CASCADE
);
-- table imports
CREATE TABLE "imports" (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, 
	athlete_id INTEGER NOT NULL, 
	imported_at DATETIME NOT NULL, 
	file_name TEXT NOT NULL, 
	format VARCHAR(20) NOT NULL, 
	rows INTEGER NOT NULL, 
	sets INTEGER NOT NULL, 
	new_sets INTEGER NOT NULL, 
	skipped_json TEXT NOT NULL, 
	content_hash VARCHAR(64), 
	path TEXT, 
	unit VARCHAR(2), 
	FOREIGN KEY(athlete_id) REFERENCES athletes (id) ON DELETE CASCADE
);
-- table jobs
CREATE TABLE jobs (
	id VARCHAR(32) NOT NULL, 
	kind VARCHAR(20) NOT NULL, 
	state VARCHAR(10) NOT NULL, 
	user_id INTEGER NOT NULL, 
	athlete_id INTEGER, 
	progress FLOAT NOT NULL, 
	message TEXT, 
	payload_json TEXT NOT NULL, 
	result_json TEXT, 
	error_json TEXT, 
	attempts INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	started_at DATETIME, 
	finished_at DATETIME, 
	PRIMARY KEY (id), 
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE, 
	FOREIGN KEY(athlete_id) REFERENCES athletes (id) ON DELETE CASCADE
);
-- table pain
CREATE TABLE "pain" (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, 
	athlete_id INTEGER NOT NULL, 
	"key" BIGINT NOT NULL, 
	at DATETIME NOT NULL, 
	level INTEGER NOT NULL, 
	region VARCHAR(40), 
	note TEXT, 
	CONSTRAINT uq_pain_athlete_key UNIQUE (athlete_id, "key"), 
	FOREIGN KEY(athlete_id) REFERENCES athletes (id) ON DELETE CASCADE
);
-- table recovery
CREATE TABLE "recovery" (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, 
	athlete_id INTEGER NOT NULL, 
	"key" BIGINT NOT NULL, 
	day DATE NOT NULL, 
	kind VARCHAR(20) NOT NULL, 
	value FLOAT NOT NULL, 
	source VARCHAR(20) NOT NULL, 
	CONSTRAINT uq_recovery_athlete_key UNIQUE (athlete_id, "key"), 
	FOREIGN KEY(athlete_id) REFERENCES athletes (id) ON DELETE CASCADE
);
-- table saved_plans
CREATE TABLE saved_plans (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, 
	athlete_id INTEGER NOT NULL, 
	start DATE NOT NULL, 
	saved_at DATETIME NOT NULL, 
	doc_json TEXT NOT NULL, 
	FOREIGN KEY(athlete_id) REFERENCES athletes (id) ON DELETE CASCADE
);
-- table schema_migrations
CREATE TABLE schema_migrations (
	version INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	applied_at DATETIME NOT NULL, 
	PRIMARY KEY (version)
);
-- table sessions
CREATE TABLE "sessions" (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, 
	athlete_id INTEGER NOT NULL, 
	"key" BIGINT NOT NULL, 
	started_at DATETIME NOT NULL, 
	name TEXT, 
	notes TEXT, 
	duration_s FLOAT, 
	source_format VARCHAR(20), 
	CONSTRAINT uq_sessions_athlete_key UNIQUE (athlete_id, "key"), 
	FOREIGN KEY(athlete_id) REFERENCES athletes (id) ON DELETE CASCADE
);
-- table sets
CREATE TABLE "sets" (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, 
	athlete_id INTEGER NOT NULL, 
	session_id INTEGER NOT NULL, 
	"key" BIGINT NOT NULL, 
	exercise TEXT NOT NULL, 
	exercise_key VARCHAR(100), 
	set_index INTEGER, 
	set_type VARCHAR(10) NOT NULL, 
	weight_kg FLOAT, 
	reps INTEGER, 
	rpe FLOAT, 
	rir FLOAT, 
	distance_m FLOAT, 
	seconds FLOAT, 
	notes TEXT, 
	source_file TEXT, 
	source_line INTEGER, 
	CONSTRAINT uq_sets_athlete_key UNIQUE (athlete_id, "key"), 
	FOREIGN KEY(athlete_id) REFERENCES athletes (id) ON DELETE CASCADE, 
	FOREIGN KEY(session_id) REFERENCES sessions (id) ON DELETE CASCADE
);
-- table sign_in_attempts
CREATE TABLE sign_in_attempts (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, 
	email_digest VARCHAR(64) NOT NULL, 
	address VARCHAR(64) NOT NULL, 
	ok BOOLEAN NOT NULL, 
	at DATETIME NOT NULL
);
-- table sqlite_sequence
CREATE TABLE sqlite_sequence(name,seq);
-- table triage
CREATE TABLE "triage" (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, 
	athlete_id INTEGER NOT NULL, 
	answered_at DATETIME NOT NULL, 
	answers_json TEXT NOT NULL, 
	FOREIGN KEY(athlete_id) REFERENCES athletes (id) ON DELETE CASCADE
);
-- table users
CREATE TABLE "users" (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, 
	email VARCHAR(320) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	password_hash TEXT NOT NULL, 
	tz VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	UNIQUE (email)
);
-- table videos
CREATE TABLE "videos" (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, 
	athlete_id INTEGER NOT NULL, 
	"key" BIGINT NOT NULL, 
	recorded_on DATE NOT NULL, 
	exercise VARCHAR(40) NOT NULL, 
	source_name TEXT NOT NULL, 
	result_json TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT uq_videos_athlete_key UNIQUE (athlete_id, "key"), 
	FOREIGN KEY(athlete_id) REFERENCES athletes (id) ON DELETE CASCADE
);
-- table web_secrets
CREATE TABLE web_secrets (
	name VARCHAR(40) NOT NULL, 
	value TEXT NOT NULL, 
	PRIMARY KEY (name)
);

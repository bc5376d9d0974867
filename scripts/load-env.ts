import fs from "node:fs";

// Loaded before anything reads the environment: values from .env fill in what the shell did not set.
if (fs.existsSync(".env")) process.loadEnvFile(".env");

import fs from "node:fs";
import "../lib/runtime/clock";

// Loaded before anything reads the environment: values from .env fill in what the shell did not set.
if (fs.existsSync(".env")) process.loadEnvFile(".env");

// Node/V8 flags the server process runs with: `npm start` (package.json), the gateway benchmark and the e2e
// suite all start `node ${SERVER_NODE_FLAGS} dist/server.js` (SERVER_ARGS) with SERVER_ENV, so what is measured
// is what runs. They only bound memory; the server works without them (it is then about 150 MB larger under load).
// Measured on the gateway benchmark (README, "Gateway benchmark"):
//   --max-old-space-size=1024  V8 grows the old generation by up to 4x its live size between full collections
//                              when the heap limit is 2 GB or more (the default here is ~4 GB): ~80 MB live became
//                              ~300 MB. Below 2 GB the growth factor shrinks (about 1.6x at 1 GB). Full collections
//                              come more often but cost ~20 ms each at this live size (~7 us per request).
//                              It is also a hard limit: 1 GB of JavaScript heap is far above what any page or job uses.
//   --max-semi-space-size=8    a 16 MB young generation instead of 32 MB (+ promotion buffer); ~10 us more of
//                              scavenging per request.
//   --liftoff-only             WebAssembly (PGlite, Prisma's query compiler) compiled by the baseline compiler
//                              only: TurboFan's compilation memory (~45 MB) stays with the C allocator for good once
//                              used; PGlite queries run within ~5 % of the optimised code.
export const SERVER_NODE_FLAGS = ["--max-old-space-size=1024", "--max-semi-space-size=8", "--liftoff-only"] as const;

/** The compiled server (`npm run build` writes it with scripts/build-server.ts), started with the flags above. */
export const SERVER_ENTRY = "dist/server.js";
export const SERVER_ARGS = [...SERVER_NODE_FLAGS, SERVER_ENTRY] as const;

// The C allocator's settings, read once at process start (so set in the environment of the command):
//   MALLOC_ARENA_MAX=1  one malloc arena instead of one per thread that allocates (the database thread, libuv's
//                       pool, V8's helper threads): peak resident memory ~320 -> ~292 MB on the benchmark with the
//                       console loaded; no change in CPU per request measured.
export const SERVER_ENV = { MALLOC_ARENA_MAX: "1" } as const;

/** `npm start`'s command: the environment above, then node with the flags and the entry. */
export const SERVER_COMMAND = `${Object.entries(SERVER_ENV)
  .map(([k, v]) => `${k}=${v}`)
  .join(" ")} node ${SERVER_ARGS.join(" ")}`;

// Node/V8 flags the server process runs with: `npm start` (package.json), the gateway benchmark and the e2e
// suite all start `node ${SERVER_NODE_FLAGS} dist/server.js` (SERVER_ARGS), so what is measured is what
// runs. They only bound memory; the server works without them (it is then about 150 MB larger under load).
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

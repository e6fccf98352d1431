// The oracle of core's differential tests: reads a JSON array of queries on
// stdin, parses each with the official Lezer grammar of the language named by
// argv[2] (logql | traceql), and prints a JSON array of verdicts:
// {"valid": bool, "error": byte offset of the first error node or null}.
// A query is valid when its tree has no error node; Lezer recovers from errors
// instead of failing, so the error nodes are the verdict.
import { parser as logql } from "@grafana/lezer-logql";
import { parser as traceql } from "@grafana/lezer-traceql";

const parsers = { logql, traceql };
const parser = parsers[process.argv[2]];
if (!parser) {
  console.error(`usage: node verdict.mjs logql|traceql < queries.json`);
  process.exit(2);
}

let input = "";
for await (const chunk of process.stdin) input += chunk;
const queries = JSON.parse(input);
const encoder = new TextEncoder();

const verdicts = queries.map((query) => {
  const tree = parser.parse(query);
  let error = null;
  tree.iterate({
    enter(node) {
      if (error === null && node.type.isError) {
        // Lezer positions are UTF-16 offsets; the Rust side speaks bytes.
        error = encoder.encode(query.slice(0, node.from)).length;
      }
      return error === null;
    },
  });
  return { valid: error === null, error };
});
process.stdout.write(JSON.stringify(verdicts));

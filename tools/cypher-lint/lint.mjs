// Neo4j's own Cypher linter (@neo4j-cypher/language-support, lintCypherQuery) over statements
// that dutygraph sends. Reads JSON on stdin:
//   {"schema": {labels, relationshipTypes, parameters, propertyKeys}, "statements": [{"name", "cypher"}]}
// and writes JSON on stdout: [{"name", "diagnostics": [{"severity", "message", "offset"}]}]
// (severity 1: error, 2: warning). Statements without a CYPHER prefix are read as Cypher 5.
import { lintCypherQuery } from '@neo4j-cypher/language-support';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { schema, statements } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const dbSchema = { defaultLanguage: 'CYPHER 5', ...schema };

const results = statements.map(({ name, cypher }) => ({
  name,
  diagnostics: lintCypherQuery(cypher, dbSchema).diagnostics.map((d) => ({
    severity: d.severity,
    message: d.message,
    offset: d.offsets ? d.offsets.start : null,
  })),
}));
process.stdout.write(JSON.stringify(results));

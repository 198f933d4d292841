// Ours as a bench target: exactly `scripts/serve-gateway.ts` (importing it runs it; dev keys), under a name of the
// bench's own, so that a `pkill -f serve-gateway.ts` aimed at a developer's gateway cannot stop the bench's.
import '../scripts/serve-gateway';

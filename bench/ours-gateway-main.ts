// Ours as a bench target: exactly `gateway/main.ts` (importing it runs it), under a name of the bench's own, so that a
// `pkill -f gateway/main.ts` aimed at a developer's gateway cannot stop the bench's.
import '../../../gateway/main';

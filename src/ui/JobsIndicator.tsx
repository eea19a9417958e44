import { useAppState } from './state/AppState.tsx';

/** Long work still running in any view (analysis, training), visible from every tab. */
export function JobsIndicator() {
  const { jobs } = useAppState();
  const running = jobs.filter((j) => j.state === 'running');
  if (running.length === 0) return null;
  return (
    <ul className="jobs" aria-label="Work in progress">
      {running.map((job) => (
        <li key={job.id}>
          <span>{job.title}</span>
          <progress aria-label={job.title} max={1} value={job.progress ?? undefined} />
        </li>
      ))}
    </ul>
  );
}

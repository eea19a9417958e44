export function TrainView() {
  return <h2>Train</h2>;
}

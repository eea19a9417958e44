export function ClassifyView() {
  return <h2>Classify</h2>;
}

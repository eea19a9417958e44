export function App() {
  return (
    <main>
      <h1>muzo</h1>
    </main>
  );
}

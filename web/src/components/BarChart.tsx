// Bar charts with Chart.js (only the parts used are registered, to keep the bundle small).
// The same numbers are given as a visually hidden table for screen readers.
import { useEffect, useRef } from 'preact/hooks';
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';
import { formatNumber } from '../i18n';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

export function BarChart({ title, data, id }: { title: string; data: { label: string; value: number }[]; id: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels: data.map((d) => d.label),
        datasets: [{ label: title, data: data.map((d) => d.value), backgroundColor: '#2a6f97' }],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
    return () => chart.destroy();
  }, [JSON.stringify(data), title]);
  return (
    <figure class="chart" data-testid={id}>
      <figcaption>{title}</figcaption>
      <div class="chart-box">
        <canvas ref={canvas} role="img" aria-label={title + ': ' + data.map((d) => `${d.label} ${d.value}`).join(', ')} />
      </div>
      <table class="sr-only">
        <caption>{title}</caption>
        <tbody>
          {data.map((d) => (
            <tr>
              <th scope="row">{d.label}</th>
              <td>{formatNumber(d.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

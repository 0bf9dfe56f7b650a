import { FaceDiagram, POINT_COLOURS } from "./face-diagram";
import { answerText, type Answers, type TemplateSection } from "./template";
import { zoneLabel } from "./zones";
import type { FaceView } from "../../db/schema/charting";

export interface PointView {
  id: string;
  view: FaceView;
  x: number;
  y: number;
  zone: string;
  label: string | null;
  productId: string;
  productName: string;
  lotNumber: string;
  expiresOn: string;
  amount: string;
  depth: string | null;
  technique: string | null;
  gauge: number | null;
  notes: string | null;
}

/** A signed chart as read: its answers, the face chart and the table of points. */
export function SignedChart({ sections, answers, points, faceChart }: { sections: TemplateSection[]; answers: Answers; points: PointView[]; faceChart: boolean }) {
  const order = [...new Set(points.map((p) => p.productId))];
  const diagramPoints = points.map((p, i) => ({ key: p.id, number: i + 1, view: p.view, x: p.x, y: p.y, zone: p.zone, label: p.label, colour: POINT_COLOURS[order.indexOf(p.productId) % POINT_COLOURS.length] }));
  const views = [...new Set(points.map((p) => p.view))];
  return (
    <div className="space-y-6">
      {sections.map((section) => (
        <section key={section.title}>
          <h2 className="font-semibold">{section.title}</h2>
          <dl className="mt-2 grid gap-x-4 gap-y-1 sm:grid-cols-[minmax(10rem,16rem)_1fr]">
            {section.fields.map((f) => (
              <div key={f.id} className="contents">
                <dt className="text-stone-600">{f.label}</dt>
                <dd className="whitespace-pre-wrap">{answerText(f, answers[f.id]) || <span className="text-stone-500">—</span>}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
      {faceChart ? (
        <section>
          <h2 className="font-semibold">Face chart</h2>
          <div className="mt-2 grid gap-3 sm:grid-cols-3">
            {(views.length ? views : (["front"] as FaceView[])).map((v) => (
              <FaceDiagram key={v} view={v} points={diagramPoints} />
            ))}
          </div>
          <PointsTable points={points} />
        </section>
      ) : null}
    </div>
  );
}

export function PointsTable({ points }: { points: PointView[] }) {
  if (!points.length) return <p className="mt-2 text-stone-600">No points charted.</p>;
  return (
    <div className="mt-3 overflow-x-auto">
      <table className="w-full min-w-[40rem] text-left text-sm">
        <caption className="sr-only">Points charted</caption>
        <thead className="border-b border-stone-200 text-stone-600">
          <tr>
            <th scope="col" className="py-2 pr-2">#</th>
            <th scope="col" className="pr-2">Zone</th>
            <th scope="col" className="pr-2">Product</th>
            <th scope="col" className="pr-2">Lot</th>
            <th scope="col" className="pr-2">Expiry</th>
            <th scope="col" className="pr-2 text-right">Amount</th>
            <th scope="col" className="pr-2">Depth</th>
            <th scope="col">Technique</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-stone-100">
          {points.map((p, i) => (
            <tr key={p.id}>
              <td className="py-2 pr-2 tabular-nums">{i + 1}</td>
              <td className="pr-2">{zoneLabel(p.zone, p.label)}</td>
              <td className="pr-2">{p.productName}</td>
              <td className="pr-2 font-mono">{p.lotNumber}</td>
              <td className="pr-2">{p.expiresOn}</td>
              <td className="pr-2 text-right tabular-nums">{p.amount}</td>
              <td className="pr-2">{p.depth ?? "—"}</td>
              <td>{[p.technique, p.gauge ? `${p.gauge}G` : null].filter(Boolean).join(", ") || "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

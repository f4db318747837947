import { useState } from 'react';
import type { CampaignInput } from '../../../../src/domain/campaign/schema';
import { client, unwrap } from '../../api';
import { ErrorBox, Skeleton } from '../../ui/parts';
import { useApi } from '../../ui/use-api';
import { PageHead } from '../../ui/page-head';

type Template = Awaited<ReturnType<typeof listTemplates>>['templates'][number];
const listTemplates = () => unwrap(client().GET('/v1/templates'));

/** The plays from the seeds (GET /v1/templates): pick one, fill its parameters, render a draft into the canvas. */
export function TemplateGallery({ onBlank, onRendered }: { onBlank: () => void; onRendered: (d: CampaignInput) => void }) {
  const templates = useApi(listTemplates, []);
  const [chosen, setChosen] = useState<Template | null>(null);
  return (
    <section className="gallery">
      <PageHead title="New campaign" />
      <ErrorBox error={templates.error} />
      {chosen ? (
        <TemplateForm template={chosen} onBack={() => setChosen(null)} onRendered={onRendered} />
      ) : (
        <div className="cards">
          <article className="panel card" aria-label="Blank campaign">
            <h2>Blank</h2>
            <p className="muted">One initial state; draw the rest.</p>
            <button type="button" onClick={onBlank}>
              Start blank
            </button>
          </article>
          {!templates.data && <Skeleton lines={4} />}
          {templates.data?.templates.map((t) => (
            <article key={t.key} className="panel card" aria-label={`Template ${t.title}`}>
              <h2>{t.title}</h2>
              <p className="muted small">{t.description}</p>
              <button type="button" onClick={() => setChosen(t)}>
                Use {t.title}
              </button>
            </article>
          ))}
        </div>
      )}
    </section>
  );
}

function TemplateForm({ template, onBack, onRendered }: { template: Template; onBack: () => void; onRendered: (d: CampaignInput) => void }) {
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(template.parameters.map((p) => [p.name, String(p.default)])));
  const [key, setKey] = useState(template.key);
  const [error, setError] = useState<unknown>(null);
  const render = async () => {
    setError(null);
    try {
      const parameters = Object.fromEntries(
        template.parameters.map((p) => [p.name, p.type === 'integer' || p.type === 'number' ? Number(values[p.name]) : p.type === 'boolean' ? values[p.name] === 'true' : values[p.name]]),
      );
      const out = await unwrap(client().POST('/v1/templates/{key}/render', { params: { path: { key: template.key } }, body: { key, parameters } }));
      onRendered(out.campaign as unknown as CampaignInput);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form
      className="panel template-form"
      aria-label={`Parameters of ${template.title}`}
      onSubmit={(e) => {
        e.preventDefault();
        void render();
      }}
    >
      <h2>{template.title}</h2>
      <p className="muted small">{template.description}</p>
      <label className="field">
        Campaign key
        <input aria-label="Campaign key" value={key} onChange={(e) => setKey(e.target.value)} />
      </label>
      {template.parameters.map((p) => (
        <label key={p.name} className="field">
          {p.label}
          <input aria-label={p.label} value={values[p.name]} onChange={(e) => setValues({ ...values, [p.name]: e.target.value })} />
          <span className="muted small">{p.help}</span>
        </label>
      ))}
      <ErrorBox error={error} />
      <div className="buttons">
        <button type="button" onClick={onBack}>
          Back
        </button>
        <button type="submit" className="primary">
          Open in the canvas
        </button>
      </div>
    </form>
  );
}

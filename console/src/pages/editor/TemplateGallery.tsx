import { useState } from 'react';
import type { CampaignInput } from '../../../../src/domain/campaign/schema';
import { client, unwrap } from '../../api';
import { ErrorBox, Skeleton } from '../../ui/parts';
import { useApi } from '../../ui/use-api';
import { PageHead } from '../../ui/page-head';
import { initialTemplateValues, templateParameters, type TemplateFormValue } from './template-parameters';

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
          {/* Not a placeholder beside the error: said as not listed, with a way to ask again. */}
          {templates.error && !templates.data ? (
            <article className="panel card" aria-label="Templates" data-testid="templates-unread">
              <h2>Templates</h2>
              <p className="muted">Not listed (the error is above); a blank campaign still works.</p>
              <button type="button" aria-busy={templates.loading} onClick={templates.reload}>
                List the templates again
              </button>
            </article>
          ) : (
            !templates.data && <Skeleton lines={4} />
          )}
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
  const [values, setValues] = useState<Record<string, TemplateFormValue>>(() => initialTemplateValues(template.parameters));
  const [key, setKey] = useState(template.key);
  const [error, setError] = useState<unknown>(null);
  const render = async () => {
    setError(null);
    try {
      const parameters = templateParameters(template.parameters, values);
      const out = await unwrap(client().POST('/v1/templates/{key}/render', { params: { path: { key: template.key } }, body: { key, parameters } }));
      onRendered(out.campaign as unknown as CampaignInput);
    } catch (e) {
      setError(e);
    }
  };
  const set = (name: string, value: TemplateFormValue) => setValues((v) => ({ ...v, [name]: value }));
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
        <ParameterField key={p.name} parameter={p} value={values[p.name]} onChange={(v) => set(p.name, v)} />
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

/**
 * One parameter's field: a checkbox for a boolean, a select for a choice,
 * text for the rest. A text left blank takes the default, which the
 * placeholder shows (templateParameters leaves it out of the request).
 */
function ParameterField({ parameter: p, value, onChange }: { parameter: Template['parameters'][number]; value: TemplateFormValue | undefined; onChange: (v: TemplateFormValue) => void }) {
  if (p.type === 'boolean') {
    return (
      <div className="field">
        <label className="inline">
          <input type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} /> {p.label}
        </label>
        <span className="muted small">{p.help}</span>
      </div>
    );
  }
  return (
    <label className="field">
      {p.label}
      {p.type === 'choice' ? (
        <select aria-label={p.label} value={String(value ?? p.default)} onChange={(e) => onChange(e.target.value)}>
          {p.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      ) : (
        <input aria-label={p.label} value={typeof value === 'string' ? value : ''} placeholder={`default: ${String(p.default)}`} onChange={(e) => onChange(e.target.value)} />
      )}
      <span className="muted small">{p.help}</span>
    </label>
  );
}

import type { AuthorshipStep } from './authorship-step.js'
import { digitalSourceTypeIri } from './vocabulary.js'

// Builders shared by this module's tests.

/** A person's step (`c2pa.drawing` by default). */
export function humanStep(over: Partial<AuthorshipStep> = {}): AuthorshipStep {
  return {
    actor: { kind: 'human', name: 'Ada Weaver' },
    action: 'c2pa.drawing',
    digitalSourceType: digitalSourceTypeIri('digitalCreation'),
    ...over,
  }
}

/** A generative model's `c2pa.created` step. */
export function aiStep(over: Partial<AuthorshipStep> = {}): AuthorshipStep {
  return {
    actor: {
      kind: 'ai',
      name: 'SDXL',
      model: {
        name: 'stable-diffusion-xl',
        version: '1.0',
        loras: [{ id: 'paisley', weight: 0.7 }],
      },
      backend: 'comfyui',
    },
    action: 'c2pa.created',
    digitalSourceType: digitalSourceTypeIri('trainedAlgorithmicMedia'),
    parameters: { prompt: 'paisley on indigo', seed: 42 },
    ...over,
  }
}

/** Conventional software's `c2pa.converted` step. */
export function softwareStep(over: Partial<AuthorshipStep> = {}): AuthorshipStep {
  return {
    actor: { kind: 'software', name: 'Photoshop', tool: { name: 'Photoshop', version: '26.1' } },
    action: 'c2pa.converted',
    ...over,
  }
}

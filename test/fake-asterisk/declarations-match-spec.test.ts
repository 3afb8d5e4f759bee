import { describe, expect, it } from 'vitest';
import { ARI_OPERATIONS, ARI_RESOURCES } from '../support/fake-asterisk/ari-declarations.ts';
import { ARI_MODELS, EMITTED_EVENT_TYPES } from '../support/fake-asterisk/ari-models.ts';
import { allSpecModels, readDeclaration, specAvailable } from './helpers/asterisk-spec.ts';

describe("the fake's ARI declarations agree with Asterisk 22's api-docs", () => {
  it.skipIf(!specAvailable)(
    'every declared operation has the same path, method, nickname and response',
    () => {
      for (const op of ARI_OPERATIONS) {
        const spec = readDeclaration(op.resource);
        const api = spec.apis.find((a) => a.path === op.path);
        expect(api, `${op.resource} ${op.path}`).toBeDefined();
        const specOp = api?.operations.find((o) => o.httpMethod === op.httpMethod);
        expect(specOp, `${op.httpMethod} ${op.path}`).toBeDefined();
        expect({ nickname: specOp?.nickname, responseClass: specOp?.responseClass }).toEqual({
          nickname: op.nickname,
          responseClass: op.responseClass,
        });
        expect(specOp?.upgrade).toBe(op.upgrade);
        expect(specOp?.websocketProtocol).toBe(op.websocketProtocol);
      }
    },
  );

  it.skipIf(!specAvailable)(
    'every declared parameter exists with the same type, place and required flag',
    () => {
      for (const op of ARI_OPERATIONS) {
        const specOp = readDeclaration(op.resource)
          .apis.find((a) => a.path === op.path)
          ?.operations.find((o) => o.httpMethod === op.httpMethod);
        for (const p of op.parameters) {
          const specParam = specOp?.parameters?.find((s) => s.name === p.name);
          const where = `${op.nickname}(${p.name})`;
          expect(specParam, where).toBeDefined();
          expect(
            {
              paramType: specParam?.paramType,
              required: specParam?.required ?? false,
              dataType: specParam?.dataType,
              allowMultiple: specParam?.allowMultiple ?? false,
              defaultValue: specParam?.defaultValue,
              allowableValues: specParam?.allowableValues,
            },
            where,
          ).toEqual({
            paramType: p.paramType,
            required: p.required,
            dataType: p.dataType,
            allowMultiple: p.allowMultiple,
            defaultValue: p.defaultValue,
            allowableValues: p.allowableValues,
          });
        }
      }
    },
  );

  it.skipIf(!specAvailable)('declares every parameter of the operations it implements', () => {
    for (const op of ARI_OPERATIONS) {
      const specOp = readDeclaration(op.resource)
        .apis.find((a) => a.path === op.path)
        ?.operations.find((o) => o.httpMethod === op.httpMethod);
      const names = (specOp?.parameters ?? []).map((p) => p.name);
      expect(op.parameters.map((p) => p.name).sort(), op.nickname).toEqual(names.sort());
    }
  });

  it.skipIf(!specAvailable)('every declared model property exists in the spec with the same type', () => {
    const specModels = allSpecModels();
    for (const resource of ARI_RESOURCES) {
      for (const model of ARI_MODELS[resource.name]) {
        const spec = specModels.get(model.id);
        expect(spec, model.id).toBeDefined();
        for (const [name, prop] of Object.entries(model.properties)) {
          const specProp = spec?.properties[name];
          expect(specProp, `${model.id}.${name}`).toBeDefined();
          expect(
            { type: specProp?.type, required: specProp?.required ?? false },
            `${model.id}.${name}`,
          ).toEqual({ type: prop.type, required: prop.required });
        }
        const requiredInSpec = Object.entries(spec?.properties ?? {})
          .filter(([, p]) => p.required)
          .map(([n]) => n);
        for (const name of requiredInSpec)
          expect(model.properties[name], `${model.id}.${name} (required)`).toBeDefined();
      }
    }
  });

  it.skipIf(!specAvailable)('every event type the fake can emit is an event model of events.json', () => {
    const events = readDeclaration('events');
    const eventSubTypes = events.models['Event']?.subTypes ?? [];
    for (const type of EMITTED_EVENT_TYPES) {
      expect(events.models[type], type).toBeDefined();
      expect(eventSubTypes, type).toContain(type);
    }
  });
});

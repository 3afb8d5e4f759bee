// The slice of ari-client 2.2.0 (untyped CommonJS) that callbridge calls. Its operations are
// generated at run time from the declarations Asterisk serves, so each is optional here.
declare module 'ari-client' {
  type AriOperation = (params?: Record<string, unknown>) => Promise<unknown>;

  export interface AriClientInstance {
    channels?: Record<string, AriOperation | undefined>;
    bridges?: Record<string, AriOperation | undefined>;
    playbacks?: Record<string, AriOperation | undefined>;
    applications?: Record<string, AriOperation | undefined>;
    asterisk?: Record<string, AriOperation | undefined>;
  }

  const ari: {
    connect(url: string, username: string, password: string): Promise<AriClientInstance>;
  };
  export default ari;
}

/** Where `npm start` keeps its embedded state and development keys (KAIROS_DATA_DIR), relative to the working folder. */
export const DEFAULT_DATA_DIR = '.kairos';

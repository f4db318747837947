import { missingFileAnswer } from './console-static';

describe('a /console path that names no file of the build', () => {
  it('is a console page when its last segment holds a dot: campaign keys and user ids may have one', () => {
    // The wildcard as Fastify hands it over: decoded, without the query (?version=2).
    for (const rest of ['campaigns/spring.sale', 'users/pia@example.com', 'users/u.1', 'campaigns/spring.sale/edit', 'users/report.html', 'campaigns/promo.js', 'users/export.json', 'campaigns', '']) {
      expect({ rest, answer: missingFileAnswer(rest) }).toEqual({ rest, answer: 'index' });
    }
  });

  it('is a page below the top, where a build ships no file: a campaign key or user id ending like a file name', () => {
    for (const rest of ['campaigns/promo.js', 'users/export.json', 'users/a/b.css']) {
      expect({ rest, answer: missingFileAnswer(rest) }).toEqual({ rest, answer: 'index' });
    }
  });

  it('is a 404 under assets/, or when it names a kind of file the console ships', () => {
    for (const rest of ['assets/gone-1234.js', 'assets/gone', 'assets/x.sale', 'gone.js', 'favicon.ico', 'app.css', 'app.js.map', 'logo.svg', 'logo.png', 'manifest.json', 'font.woff2', '../../package.json', 'users/../../x']) {
      expect({ rest, answer: missingFileAnswer(rest) }).toEqual({ rest, answer: 'not-found' });
    }
  });
});

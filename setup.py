"""Builds the package from `settings.ini`, the nbdev 2 way: one place holds the metadata."""
from configparser import ConfigParser
from pathlib import Path

import setuptools

config = ConfigParser(delimiters=['='])
config.read(Path(__file__).parent / 'settings.ini', encoding='utf-8')
cfg = config['DEFAULT']

licenses = {'apache2': ('Apache Software License 2.0', 'OSI Approved :: Apache Software License')}
statuses = ['1 - Planning', '2 - Pre-Alpha', '3 - Alpha', '4 - Beta', '5 - Production/Stable', '6 - Mature']
license_name, license_classifier = licenses[cfg['license']]
readme = Path(__file__).parent / 'README.md'
# every `NAME_requirements` key is an extra; `all` gathers the backbone sources, `dev` installs everything (tests cover it all)
extras = {key[:-len('_requirements')]: cfg[key].split() for key in cfg if key.endswith('_requirements') and key != 'dev_requirements'}
extras['all'] = sorted({r for k in ('timm', 'clip', 'hf') for r in extras[k]})
extras['dev'] = list(dict.fromkeys(cfg['dev_requirements'].split() + sorted({r for k, v in extras.items() if k != 'all' for r in v})))

setuptools.setup(
    name=cfg['lib_name'],
    version=cfg['version'],
    description=cfg['description'],
    long_description=readme.read_text(encoding='utf-8') if readme.exists() else '',
    long_description_content_type='text/markdown',
    author=cfg['author'],
    author_email=cfg['author_email'],
    license=license_name,
    url=cfg['git_url'],
    keywords=cfg['keywords'].split(),
    classifiers=[
        'Development Status :: ' + statuses[int(cfg['status']) - 1],
        'Intended Audience :: ' + cfg['audience'],
        'License :: ' + license_classifier,
        'Natural Language :: ' + cfg['language'],
        'Programming Language :: Python :: 3',
        'Topic :: Scientific/Engineering :: Artificial Intelligence',
    ],
    packages=setuptools.find_packages(include=[cfg['lib_path'], cfg['lib_path'] + '.*']),
    include_package_data=True,
    python_requires='>=' + cfg['min_python'],
    install_requires=cfg['requirements'].split(),
    extras_require=extras,
    entry_points={
        'console_scripts': cfg['console_scripts'].split(),
        'nbdev': [f"{cfg['lib_path']}={cfg['lib_path']}._modidx:d"],
    },
    zip_safe=False,
)
